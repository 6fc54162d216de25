import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

// JSON.parse says where it failed as a character offset ("at position 871"), or not at all
// ("Unexpected token 'x', "…" is not valid JSON", with the text's raw newlines in it). People fix a
// file by line and column: jsonc-parser (VS Code's) reports each problem with its offset.

// By jsonc-parser's error name (its codes are a const enum, which our module settings cannot read).
const WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'expected a double-quoted property name (a trailing comma?)',
  ValueExpected: 'expected a value (a trailing comma, or a missing value?)',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' (missing between two entries?)",
  CloseBraceExpected: "expected '}' (an object not closed?)",
  CloseBracketExpected: "expected ']' (a list not closed?)",
  EndOfFileExpected: 'unexpected text after the end of the JSON',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed (a missing ")',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape (write \\\\ for a backslash)',
  InvalidCharacter: 'a control character inside a string (write \\n for a line break)',
};

/** `file:line:column: what`, then the line itself and a caret under the column (indented). */
function locate(text: string, file: string, e: ParseError): string {
  const before = text.slice(0, e.offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = e.offset - lineStart + 1;
  const source = (text.slice(lineStart).split('\n')[0] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  // Long lines are clipped around the column, so the caret stays on screen.
  const from = Math.max(0, column - 60);
  const shown = `${from ? '…' : ''}${source.slice(from, from + 100)}`;
  const caret = ' '.repeat(column - 1 - from + (from ? 1 : 0));
  const name = printParseErrorCode(e.error);
  const what = WORDS[name] ?? 'invalid JSON';
  const found = name === 'InvalidSymbol' ? ` ${JSON.stringify(text.substr(e.offset, 1))}` : '';
  return `${file}:${line}:${column}: ${what}${found}\n      ${shown}\n      ${caret}^`;
}

/**
 * Parses JSON; on a syntax error returns one problem per line (at most 5: later ones are often
 * echoes of the first), each with file, line and column, the line and a caret.
 */
export function parseJsonText(
  text: string,
  file: string,
): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const errors: ParseError[] = [];
    parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
    // The parser's later errors on the same line, or right after an error (nothing but whitespace
    // between), echo the first: one problem each.
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    const first: ParseError[] = [];
    for (const e of errors) {
      const last = first.at(-1);
      const echo =
        last &&
        (lineOf(last.offset) === lineOf(e.offset) || !text.slice(last.offset + last.length, e.offset).trim());
      if (!echo) first.push(e);
    }
    first.splice(5);
    if (!first.length)
      // Something JSON.parse refuses and jsonc-parser accepts: its message, on one line.
      return {
        ok: false,
        problems: [`${file}: invalid JSON: ${(err as Error).message.replace(/\s+/g, ' ')}`],
      };
    return { ok: false, problems: first.map((e) => locate(text, file, e)) };
  }
}

/** How a file is named in messages: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}
