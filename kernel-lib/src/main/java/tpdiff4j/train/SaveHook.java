package tpdiff4j.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Called by {@link CheckpointStore#save} after each step of writing a checkpoint, so that tests can stop a save at
 * any point (throw to simulate a crash there) and check that the folder still holds a complete checkpoint.
 */
@FunctionalInterface
interface SaveHook {

    /** The steps of a save, in order. */
    enum Step {
        /** the temporary folder {@code .tmp-step-...} exists, empty */
        TEMP_FOLDER_CREATED,
        /** one file is written and flushed to disk inside the temporary folder ({@code path} names it) */
        FILE_WRITTEN,
        /** the temporary folder's entries are flushed to disk */
        TEMP_FOLDER_SYNCED,
        /** the temporary folder was renamed to its step folder ({@code path}) */
        FOLDER_RENAMED,
        /** the new pointer is written and flushed under a temporary name ({@code path}) */
        POINTER_WRITTEN,
        /** the pointer {@code latest} was replaced by an atomic rename */
        POINTER_RENAMED,
        /** an older step folder of the run was deleted ({@code path}) */
        OLD_FOLDER_DELETED
    }

    /** No hook. */
    SaveHook NONE = (step, path) -> { };

    void after(Step step, Path path) throws IOException;
}
