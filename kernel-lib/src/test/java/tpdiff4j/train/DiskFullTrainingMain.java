package tpdiff4j.train;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A batch program for {@link CheckpointDiskFullTest}, run on a small disk of its own: trains the test's tiny model
 * with a checkpoint after every step into {@code args[0]} until a save fails, then prints what a user would see and
 * do: {@code THREW} and the message, {@code STEPS} the trainer's step count, {@code ENTRY} each entry of the
 * checkpoint folder, {@code LATEST} the step of its current checkpoint, {@code RESUMED} the step a fresh trainer
 * resumes at, {@code KEPT} the step of a checkpoint saved to {@code args[1]} (another disk) afterwards,
 * {@code PLAN} and {@code PLAN-NOW} the message of a file too large for the disk and the old file's content after it, {@code TOP} each entry of the disk then,
 * {@code REFUSED} and the message when a new trainer with a checkpoint folder on the full disk is built.
 */
public final class DiskFullTrainingMain {

    public static void main(String[] args) throws Exception {
        tpdiff4j.nn.Compute.useThreads(1);
        Path dir = Path.of(args[0]);
        try (Trainer t = Trainer.builder().withModel(TrainerTest.MODEL).withConfig(TrainerTest.vanilla())
                .withData(TrainerTest.DATA).withProgress(false).withCheckpoints(dir, 1).build()) {
            try {
                t.train(50);
                System.out.println("RETURNED");
            } catch (UncheckedIOException e) {
                System.out.println("THREW " + e.getMessage());
            }
            System.out.println("STEPS " + t.stepCount());
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> !p.equals(dir)).forEach(p -> System.out.println("ENTRY " + dir.relativize(p)));
            }
            System.out.println("LATEST " + Checkpoint.latestStep(dir));
            try (Trainer r = TrainerTest.trainer(TrainerTest.vanilla(), null, dir)) {
                System.out.println("RESUMED " + r.stepCount());
            }
            t.saveCheckpoint(Path.of(args[1]));
            System.out.println("KEPT " + Checkpoint.latestStep(Path.of(args[1])));
        }
        // any other file on the full disk (a plan, a figure, a result): the old one is kept, the message has the sizes
        Path plan = tpdiff4j.schedule.AtomicFiles.writeString(dir.resolveSibling("plan.json"), "old plan");
        try {
            tpdiff4j.schedule.AtomicFiles.writeString(plan, "x".repeat(2_000_000));
            System.out.println("PLAN written");
        } catch (java.io.IOException e) {
            System.out.println("PLAN " + e.getMessage());
        }
        System.out.println("PLAN-NOW " + Files.readString(plan));
        try (Stream<Path> s = Files.list(dir.getParent())) {
            s.forEach(p -> System.out.println("TOP " + p.getFileName()));
        }
        try (Trainer again = TrainerTest.trainer(TrainerTest.vanilla(), dir.resolveSibling("another-run"), null)) {
            System.out.println("BUILT on a disk without room for its checkpoint");
        } catch (IllegalArgumentException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
