/**
 * DJL models: {@link tpdiff4j.nn.SpaceTimeTransformer}, a small DiT-style video denoiser whose frames sit on the
 * full-rate temporal grid so that one network serves every pyramid stage; {@link tpdiff4j.nn.ModelConfig} (tiny,
 * small and attention presets, also from a {@code VideoSpec}); {@link tpdiff4j.nn.StageNetwork}, the stage-wise contract it shares
 * with any DJL block of one's own; {@link tpdiff4j.nn.NetDenoiser} adapts a network to the ODE solvers;
 * {@link tpdiff4j.nn.Compute} is the device knob ({@code TPDIFF4J_DEVICE=auto|cpu|gpu|gpu:N}: {@code Compute.device()},
 * {@code Compute.newManager()}) and sets PyTorch's CPU threads ({@code TPDIFF4J_THREADS}, default the physical cores,
 * applied by the kernel at its start, in a program of one's own by its first training step or prediction where the
 * variable is set, or at once by {@code Compute.configureFromEnvironment()}).
 * <p>Devices and threads: {@code docs/conventions.md}; examples: {@code docs/guide.md} ("Train").
 */
package tpdiff4j.nn;
