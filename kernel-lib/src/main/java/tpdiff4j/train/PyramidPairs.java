package tpdiff4j.train;

final class PyramidPairs {
    static PairMaker of(TrainConfig c, int frames) {
        throw new UnsupportedOperationException("TPDiff modes need tpdiff4j.pyramid.TrainingPairSampler (not merged yet)");
    }
}
