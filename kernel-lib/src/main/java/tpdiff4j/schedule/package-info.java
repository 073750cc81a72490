/**
 * Noise schedules: the forward process {@code x_t = gamma(t) x0 + sigma(t) eps} on t in [0, 1] (t = 1 noisiest),
 * log-SNR and its inverse, and their JSON form.
 *
 * <ul>
 *   <li>{@link tpdiff4j.schedule.Schedules#flowMatching()} ({@code gamma = 1 - t, sigma = t}, optional SD3 shift),
 *       {@link tpdiff4j.schedule.Schedules#vpCosine()} (continuous): closed forms, exact derivatives and inverse.</li>
 *   <li>{@link tpdiff4j.schedule.Schedules#linear}, {@link tpdiff4j.schedule.Schedules#scaledLinear},
 *       {@link tpdiff4j.schedule.Schedules#cosine}: discrete DDPM betas; step i at {@code t = i / (N - 1)},
 *       log-SNR linear in t between steps ({@link tpdiff4j.schedule.DiscreteVpSchedule}).</li>
 *   <li>{@link tpdiff4j.schedule.Schedules#of}: a user's functions, validated on a grid, derivatives by fourth-order
 *       finite differences when not given (hand-written ones are checked against them); they have no JSON form.</li>
 *   <li>{@link tpdiff4j.schedule.Schedules#fromDiffusersConfig} and {@link tpdiff4j.schedule.Schedules#toDiffusersConfig}:
 *       diffusers' {@code scheduler_config.json} in and out ({@link tpdiff4j.schedule.DiffusersSchedulerConfig} lists
 *       what is read, ignored, kept and rejected); {@link tpdiff4j.schedule.Schedules#betas} for given betas.</li>
 * </ul>
 * All scalar math is plain {@code double}; bad arguments raise {@link java.lang.IllegalArgumentException} naming the
 * parameter, the value and what is allowed.
 * <p>Three helpers every other package uses, kept here because this package comes first:
 * {@link tpdiff4j.schedule.StrictJson}, the one reader of the library's JSON files,
 * {@link tpdiff4j.schedule.DocumentKind}, which tells its readers what kind of document they were given when it is not
 * theirs, and {@link tpdiff4j.schedule.AtomicFiles}, the one writer of its files (atomic, folders created, an interrupt
 * deferred and set again, errors naming the path).
 * <p>Conventions (time direction, discrete steps on {@code t}, log-SNR interpolation): {@code docs/conventions.md};
 * examples: {@code docs/guide.md} ("Define a schedule").
 */
package tpdiff4j.schedule;
