// Progress for long waits (merges, evaluations): live bars on a terminal (cli-progress), plain
// lines otherwise, so CI logs and pipes get a readable record instead of control characters.
import cliProgress from "cli-progress";

export interface ProgressBar {
  /** Sets the bar's value (and total, when it changed) with a short status word. */
  update(value: number, total: number, status?: string): void;
}

export interface Progress {
  bar(label: string, total: number): ProgressBar;
  /** A line above the bars (or a plain line). */
  log(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Live bars; default: whether the stream is a terminal. */
  tty?: boolean;
  /** Width of the label column. */
  labelWidth?: number;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? (stream as NodeJS.WriteStream).isTTY === true;
  return tty ? liveProgress(stream, options.labelWidth ?? 12) : lineProgress(stream);
}

function liveProgress(stream: NodeJS.WritableStream, labelWidth: number): Progress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: "{label} {bar} {value}/{total} {status}",
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let stopped = false;
  return {
    bar(label, total) {
      const bar = multi.create(Math.max(total, 1), 0, { label: label.padEnd(labelWidth), status: "" });
      return {
        update(value, newTotal, status = "") {
          if (Math.max(newTotal, 1) !== bar.getTotal()) bar.setTotal(Math.max(newTotal, 1));
          bar.update(value, { status });
        },
      };
    },
    log(line) {
      if (stopped) stream.write(`${line}\n`);
      else multi.log(`${line}\n`);
    },
    stop() {
      if (!stopped) multi.stop();
      stopped = true;
    },
  };
}

/** One line per bar whenever its status changes or it crosses another quarter of its total. */
function lineProgress(stream: NodeJS.WritableStream): Progress {
  return {
    bar(label, total) {
      let last = { quarter: -1, status: "\0", total };
      return {
        update(value, newTotal, status = "") {
          const quarter = newTotal > 0 ? Math.floor((4 * value) / newTotal) : 0;
          if (quarter === last.quarter && status === last.status && newTotal === last.total) return;
          last = { quarter, status, total: newTotal };
          stream.write(`${label}: ${value}/${newTotal}${status ? ` ${status}` : ""}\n`);
        },
      };
    },
    log(line) {
      stream.write(`${line}\n`);
    },
    stop() {},
  };
}
