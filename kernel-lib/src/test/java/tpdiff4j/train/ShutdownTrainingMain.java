package tpdiff4j.train;

import java.nio.file.Path;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;

/**
 * A batch program for {@link TrainShutdownTest}: trains a tiny model "for ever" with a checkpoint folder
 * ({@code args[0]}) and one checkpoint every 1000 steps, and prints {@code STEP n} after each step; with
 * {@code args[1]}, a listener calls {@code System.exit(3)} after that step.
 */
public final class ShutdownTrainingMain {

    public static void main(String[] args) {
        SpriteVideos data = SpriteVideos.builder().withFrames(8).withSize(16).withChannels(1).build();
        try (Trainer t = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))
                .withConfig(TrainConfig.flowMatching(2, 8, 1).withBatchSize(2)).withData(data)
                .withCheckpoints(Path.of(args[0]), 1000)
                .withListener(p -> {
                    System.out.println("STEP " + p.step());
                    System.out.flush();
                    if (args.length > 1 && p.step() == Long.parseLong(args[1])) {
                        System.exit(3); // a program that ends itself from a listener
                    }
                }).build()) {
            TrainResult r = t.train(1_000_000);
            System.out.println("RETURNED interrupted=" + r.interrupted() + " steps=" + r.totalSteps());
        }
    }
}
