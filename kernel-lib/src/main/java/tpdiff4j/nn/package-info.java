/**
 * DJL models: {@link tpdiff4j.nn.SpaceTimeTransformer}, a small DiT-style video denoiser whose frames sit on the
 * full-rate temporal grid so that one network serves every pyramid stage; {@link tpdiff4j.nn.ModelConfig} (tiny and
 * small presets, also from a {@code VideoSpec}); {@link tpdiff4j.nn.StageNetwork}, the stage-wise contract it shares
 * with any DJL block of one's own; {@link tpdiff4j.nn.NetDenoiser} adapts a network to the ODE solvers; {@link tpdiff4j.nn.Compute} names the
 * device and sets PyTorch's CPU threads.
 */
package tpdiff4j.nn;
