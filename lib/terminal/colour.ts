import pc from 'picocolors';

/**
 * Whether to colour what goes to `stream`: never with NO_COLOR (no-color.org), always with
 * FORCE_COLOR (other than "0"), else only on a terminal — a pipe, a file or CI logs get plain text.
 * picocolors decides on its own from stdout alone; the CLI writes to both streams, so we decide per stream.
 */
export function colourFor(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export type Colours = ReturnType<typeof pc.createColors>;

/** Colour functions for one stream (identity functions when it gets no colour). */
export const coloursFor = (stream: { isTTY?: boolean }): Colours => pc.createColors(colourFor(stream));
