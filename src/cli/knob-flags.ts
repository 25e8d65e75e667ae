/**
 * The simulated world's knobs as run flags: network latency, spikes, loss, duplication and
 * reordering; fsync latency and torn writes; clock skew and drift; the fault mix's rate, crash
 * bound and restart delays. Each flag sets fields of one RunOptions section, which are the sim's
 * own fields (SimOptions), so the sim's validateSimOptions judges them: the CLI and the library
 * agree on what is valid. Flags read milliseconds with decimals and store whole microseconds.
 */
import { RUN_DEFAULTS } from "../run/index.js";
import type { RunOptions, RunSection } from "../run/index.js";
import { UsageError } from "./args.js";
import type { OptionSpec } from "./args.js";

/** The world sections of RunOptions, as one record of plain fields per section. */
type Sections = { [S in RunSection]: Record<string, unknown> };

/** How one flag reads its value into the sections and writes it back for a replay line. */
interface Knob {
  readonly spec: OptionSpec;
  readonly section: RunSection;
  /** The section's fields this flag sets (errors on them are reported against the flag). */
  readonly fields: readonly string[];
  /** The fields' values for the flag's text; a malformed text is a UsageError naming the flag. */
  read(flag: string, text: string): readonly unknown[];
  /** The flag's text for the fields' values. */
  show(values: readonly unknown[]): string;
}

const NUMBER = /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[-+]?[0-9]+)?$/i;

function numberOf(flag: string, text: string, what: string): number {
  const value = NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${flag} takes ${what}, got "${text}"`);
  return value;
}

/** Milliseconds (decimals allowed) as whole microseconds. */
function microsOf(flag: string, text: string): number {
  const micros = numberOf(flag, text, "milliseconds (decimals allowed)") * 1000;
  const whole = Math.round(micros);
  if (Math.abs(micros - whole) > 1e-6) {
    throw new UsageError(
      `${flag} takes milliseconds to the microsecond (at most 3 decimals), got "${text}"`);
  }
  return whole === 0 ? 0 : whole;
}

function showMs(micros: unknown): string {
  return typeof micros === "number" ? String(micros / 1000) : String(micros);
}

/** A MIN..MAX range in milliseconds (a single value means MIN = MAX). */
function rangeKnob(
  name: string, section: RunSection, field: string, help: string,
): Knob {
  return {
    spec: {
      name, kind: "text", placeholder: "MIN..MAX", help,
      defaultValue: showRange(sectionOf(RUN_DEFAULTS, section), field),
    },
    section,
    fields: [`${field}Min`, `${field}Max`],
    read: (flag, text) => {
      const parts = text.split("..");
      if (parts.length > 2) {
        throw new UsageError(`${flag} takes MIN..MAX in milliseconds, got "${text}"`);
      }
      const min = microsOf(flag, parts[0] ?? "");
      return [min, parts[1] === undefined ? min : microsOf(flag, parts[1])];
    },
    show: ([min, max]) => `${showMs(min)}..${showMs(max)}`,
  };
}

function showRange(values: Record<string, unknown>, field: string): string {
  return `${showMs(values[`${field}Min`])}..${showMs(values[`${field}Max`])}`;
}

/** One value: milliseconds, or a plain number (probability, ppm, rate). */
function scalarKnob(
  name: string, section: RunSection, field: string, unit: "ms" | "P" | "PPM" | "N", help: string,
): Knob {
  const value = sectionOf(RUN_DEFAULTS, section)[field];
  const show = (v: unknown): string => (unit === "ms" ? showMs(v) : String(v));
  const what = unit === "P" ? "a probability from 0 to 1" : "a number";
  return {
    spec: {
      name, kind: "text", placeholder: unit === "ms" ? "MS" : unit, help,
      defaultValue: show(value),
    },
    section,
    fields: [field],
    read: (flag, text) => [unit === "ms" ? microsOf(flag, text) : numberOf(flag, text, what)],
    show: ([v]) => show(v),
  };
}

const reorderKnob: Knob = {
  spec: {
    name: "reorder", kind: "choice", choices: ["off", "on"], defaultValue: "off",
    help: "on: messages on a link may overtake each other (off: FIFO, like TCP)",
  },
  section: "network",
  fields: ["reorder"],
  read: (_flag, text) => [text === "on"],
  show: ([v]) => (v === true ? "on" : "off"),
};

const crashMaxKnob: Knob = {
  spec: {
    name: "crash-max", kind: "text", placeholder: "N", defaultValue: "minority",
    help: "most servers the mix crashes at once (at most a minority of voters)",
  },
  section: "nemesis",
  fields: ["crashMax"],
  read: (flag, text) => {
    if (text === "minority") return [null];
    if (!/^[0-9]+$/.test(text)) {
      throw new UsageError(`${flag} takes a whole number or "minority", got "${text}"`);
    }
    return [Number(text)];
  },
  show: ([v]) => (v === null ? "minority" : String(v)),
};

/** Every knob, in the order --help lists them. */
const KNOBS: readonly Knob[] = [
  rangeKnob("latency-ms", "network", "latencyMicros", "one-way message latency, uniform"),
  scalarKnob("spikes", "network", "spikeProbability", "P",
    "chance a message gets an extra delay spike (until the heal)"),
  scalarKnob("spike-ms", "network", "spikeMicrosMax", "ms", "largest delay spike"),
  scalarKnob("loss", "network", "lossProbability", "P",
    "chance a message is lost (until the heal)"),
  scalarKnob("duplicate", "network", "duplicateProbability", "P",
    "chance a message is delivered twice (until the heal)"),
  reorderKnob,
  rangeKnob("fsync-ms", "disk", "fsyncMicros", "time an fsync takes, uniform"),
  scalarKnob("torn-writes", "disk", "tornWriteProbability", "P",
    "chance a crash leaves the last unsynced append torn"),
  scalarKnob("skew-ms", "clock", "skewMicrosMax", "ms", "each clock starts off by up to this"),
  scalarKnob("drift-ppm", "clock", "driftPpmMax", "PPM",
    "each clock runs fast or slow by up to this (at most 100000)"),
  scalarKnob("fault-rate", "nemesis", "faultsPerSecond", "N",
    "mean drawn faults per simulated second"),
  crashMaxKnob,
  rangeKnob("restart-ms", "nemesis", "restartDelayMicros",
    "a crashed server restarts after a delay, uniform"),
];

/** The knob flags' specs, for run, sweep, replay and shrink. */
export const KNOB_FLAG_SPECS: readonly OptionSpec[] = KNOBS.map((knob) => knob.spec);

function sectionOf(options: RunOptions, section: RunSection): Record<string, unknown> {
  return options[section] as unknown as Record<string, unknown>;
}

/** The world sections: the defaults, overridden by the knob flags that were given. */
export function knobSections(
  given: ReadonlySet<string>, textOf: (name: string) => string | null,
): Pick<RunOptions, RunSection> {
  const sections: Sections = {
    network: { ...RUN_DEFAULTS.network }, disk: { ...RUN_DEFAULTS.disk },
    clock: { ...RUN_DEFAULTS.clock }, nemesis: { ...RUN_DEFAULTS.nemesis },
  };
  for (const knob of KNOBS) {
    const text = textOf(knob.spec.name);
    if (!given.has(knob.spec.name) || text === null) continue;
    const values = knob.read(`--${knob.spec.name}`, text);
    knob.fields.forEach((field, i) => {
      sections[knob.section][field] = values[i];
    });
  }
  return sections as unknown as Pick<RunOptions, RunSection>;
}

/** The flag that sets a dotted field ("network.lossProbability" -> "loss"), if any. */
export function knobFlagOf(field: string): string | undefined {
  const knob = KNOBS.find((k) => k.fields.some((f) => field === `${k.section}.${f}`));
  return knob?.spec.name;
}

/** `--flag value` words for every knob whose setting in `options` differs from the default. */
export function knobWords(options: RunOptions): string[] {
  const words: string[] = [];
  for (const knob of KNOBS) {
    const valuesOf = (o: RunOptions): unknown[] =>
      knob.fields.map((field) => sectionOf(o, knob.section)[field]);
    const text = knob.show(valuesOf(options));
    if (text !== knob.show(valuesOf(RUN_DEFAULTS))) words.push(`--${knob.spec.name}`, text);
  }
  return words;
}
