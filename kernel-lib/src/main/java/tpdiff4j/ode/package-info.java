/**
 * The probability-flow ODE of a noise schedule and a model, and its solvers (docs/derivation.md sections 2 and 3).
 *
 * <ul>
 *   <li>{@link tpdiff4j.ode.PredictionType} and {@link tpdiff4j.ode.Predictions}: epsilon, x0, velocity
 *       ({@code gammaDot x0 + sigmaDot eps}, i.e. {@code eps - x0} for flow matching) and v-prediction, converted
 *       into each other for any schedule.</li>
 *   <li>{@link tpdiff4j.ode.ProbabilityFlow}: the right-hand side {@code dx/dt}.</li>
 *   <li>{@link tpdiff4j.ode.TimeGrid}: immutable grids (uniform in t or log-SNR; diffusers' leading, trailing and
 *       linspace spacings).</li>
 *   <li>{@link tpdiff4j.ode.Solvers}: DDIM (eta = 0 exact for constant epsilon; eta &gt; 0 with injectable noise) and
 *       explicit Runge-Kutta methods from {@link tpdiff4j.ode.ButcherTableau} data (Euler, Heun, midpoint, RK4), all
 *       behind one {@link tpdiff4j.ode.Solver} signature with a {@link tpdiff4j.ode.StepListener}, a progress switch
 *       and an interrupt check.</li>
 *   <li>{@link tpdiff4j.ode.DeviceKnob}: the device knob {@code TPDIFF4J_DEVICE=auto|cpu|gpu|gpu:N} behind
 *       {@code tpdiff4j.nn.Compute.device()}.</li>
 *   <li>{@link tpdiff4j.ode.GaussianNoise}: the library's one source of seeded normal tensors (drawn in Java, the same
 *       on every engine and device) and independent seed streams ({@code derive(seed, stream)}).</li>
 *   <li>{@link tpdiff4j.ode.DiffusersConfig}: a diffusers {@code scheduler_config.json} as schedule, prediction type
 *       and time grid, and the reverse ({@code toJson(schedule, type)}).</li>
 *   <li>{@link tpdiff4j.ode.StepInProgress}: marks a thread inside one step of long work (a solver or training step),
 *       which the notebook kernel lets finish on an interrupt instead of stopping the thread half-way.</li>
 *   <li>{@link tpdiff4j.ode.DjlNetwork}: keeps DJL offline and its usage reporting off unless the user asks to go
 *       online ({@code -Dtpdiff4j.online=true} or {@code TPDIFF4J_ONLINE=1}).</li>
 * </ul>
 * Tensors are DJL {@code NDArray}s of any shape (usually [B, F, C, H, W]); solvers keep the input's type and
 * manager and free every intermediate after each step.
 * <p>Prediction types and the {@code VELOCITY} versus diffusers' {@code v_prediction} trap:
 * {@code docs/conventions.md}, as are seeds, devices and the network; examples:
 * {@code docs/guide.md} ("Sample", "Your own pieces" for a solver, tableau, schedule or denoiser of one's own,
 * "Export to diffusers or a plan", "Choose a device").
 */
package tpdiff4j.ode;
