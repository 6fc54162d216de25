// A small stand-in for server-filesystem's answers (the words its tools answer with, captured from
// the real server: "Allowed directories:", "[FILE] …", ENOENT), over an in-memory tree under one
// allowed directory, so a unit test can drive the offline persona through a day's tool results and
// see which of its calls a file system would refuse. The real server is used by
// test/federation/scripted-any-product.test.ts.
import path from 'node:path/posix';
import type { Answer } from './scripted-days.ts';

export function fakeFilesProduct(root: string) {
  const files = new Map<string, string>();
  const dirs = new Set([root]);
  const ok = (text: string): Answer => ({ isError: false, text });
  const fail = (text: string): Answer => ({ isError: true, text });
  const inside = (p: unknown): p is string =>
    typeof p === 'string' && (p === root || p.startsWith(`${root}/`));
  const children = (dir: string) =>
    [...dirs, ...files.keys()].filter((p) => p !== dir && path.dirname(p) === dir).sort();
  // directory_tree answers JSON: `[{"name": "notes.md", "type": "file"}, {"name": …, "children": […]}]`.
  const tree = (dir: string): unknown[] =>
    children(dir).map((c) =>
      dirs.has(c)
        ? { name: path.basename(c), type: 'directory', children: tree(c) }
        : { name: path.basename(c), type: 'file' },
    );
  const read = (p: unknown) =>
    !inside(p)
      ? fail(`Access denied - path outside allowed directories: ${String(p)}`)
      : files.has(p)
        ? ok(files.get(p)!)
        : dirs.has(p)
          ? fail('EISDIR: illegal operation on a directory, read')
          : fail(`ENOENT: no such file or directory, open '${p}'`);
  const writable = (p: unknown) =>
    !inside(p)
      ? `Access denied - path outside allowed directories: ${String(p)}`
      : !dirs.has(path.dirname(p))
        ? `ENOENT: no such file or directory, open '${p}'`
        : dirs.has(p)
          ? `EISDIR: illegal operation on a directory, open '${p}'`
          : undefined;
  const answer = async (tool: string, input: Record<string, unknown>): Promise<Answer> => {
    const p = input.path;
    switch (tool) {
      case 'list_allowed_directories':
        return ok(`Allowed directories:\n${root}`);
      case 'write_file': {
        const problem = writable(p);
        if (problem) return fail(problem);
        files.set(p as string, String(input.content));
        return ok(`Successfully wrote to ${String(p)}`);
      }
      case 'create_directory':
        if (!inside(p) || files.has(p)) return fail(`cannot create directory ${String(p)}`);
        for (let d = p; d !== root; d = path.dirname(d)) dirs.add(d);
        return ok(`Successfully created directory ${p}`);
      case 'read_file':
      case 'read_text_file':
        if (input.head !== undefined && input.tail !== undefined)
          return fail('Cannot specify both head and tail parameters simultaneously');
        return read(p);
      case 'read_media_file':
        return read(p);
      case 'read_multiple_files':
        return ok((input.paths as string[]).map((f) => `${f}:\n${read(f).text}`).join('\n---\n'));
      case 'get_file_info':
        return inside(p) && (files.has(p) || dirs.has(p)) ? ok(`size: 1\nisFile: ${files.has(p)}`) : read(p);
      case 'list_directory':
      case 'list_directory_with_sizes':
      case 'directory_tree':
      case 'search_files':
        if (!inside(p) || !dirs.has(p))
          return fail(`ENOENT: no such file or directory, scandir '${String(p)}'`);
        if (tool === 'directory_tree') return ok(JSON.stringify(tree(p), null, 2));
        return tool === 'search_files'
          ? ok(children(p).join('\n') || 'No matches found')
          : ok(
              children(p)
                .map((c) => `${dirs.has(c) ? '[DIR]' : '[FILE]'} ${path.basename(c)}`)
                .join('\n'),
            );
      case 'edit_file': {
        if (!inside(p) || !files.has(p)) return read(p);
        let text = files.get(p)!;
        for (const e of input.edits as Array<{ oldText: string; newText: string }>) {
          if (!text.includes(e.oldText)) return fail(`Could not find exact match for edit:\n${e.oldText}`);
          text = text.replace(e.oldText, e.newText);
        }
        files.set(p, text);
        return ok('```diff\n…\n```');
      }
      case 'move_file': {
        const { source, destination } = input as { source: string; destination: string };
        if (!inside(source) || !files.has(source)) return read(source);
        const problem =
          writable(destination) ?? (files.has(destination) ? 'Destination already exists' : undefined);
        if (problem) return fail(problem);
        files.set(destination, files.get(source)!);
        files.delete(source);
        return ok(`Successfully moved ${source} to ${destination}`);
      }
      default:
        return fail(`Unknown tool: ${tool}`);
    }
  };
  return { answer, files, dirs };
}
