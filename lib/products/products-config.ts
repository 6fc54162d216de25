import fs from 'node:fs';
import { z } from 'zod';
import { displayPath, parseJsonText } from '../config/json-text.ts';
import { entryProblems, entryWhere } from '../config/entry-problems.ts';
import { UsageError } from '../errors.ts';
import { BUILTIN_MODULES, UNRATED_MODULES } from '../../schema/vocabulary.ts';
import { compileErrorRules, errorRulesSchema, type ErrorRule } from './error-rules.ts';
import { placeholderProblems } from './placeholders.ts';

// The products file (`PERSONA_PRODUCTS=<file>`, `--products <file>`): which upstream MCP servers the
// gateway federates. In lib/ because the gateway and the catalog check (which modules exist) read it.

/** A product's name prefixes its tools (`<product>__<tool>`) and is its default module id. */
const PRODUCT_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]|_(?!_)){0,31}$/;
const MODULE_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;
const MiB = 1024 * 1024;
// Upstream answers are held in memory whole (a JSON body, an SSE event): the limits stay well below
// what one string or one process can hold.
const MAX_LIMIT = 256 * MiB;

const stdioTransport = z.strictObject({
  type: z.literal('stdio'),
  command: z.string({ error: 'expected the command to start' }).min(1, { error: 'must not be empty' }),
  args: z.array(z.string(), { error: 'expected a list of strings' }).default([]),
  env: z.record(z.string(), z.string({ error: 'expected a string' })).default({}),
  /** Default: the product's `${workdir}` (created before the child starts). */
  cwd: z.string().min(1).optional(),
});
const httpTransport = z.strictObject({
  type: z.literal('http'),
  url: z
    .string({ error: 'expected the Streamable HTTP endpoint, e.g. http://127.0.0.1:3001/mcp' })
    .regex(/^(https?:\/\/|\$\{)/, { error: 'expected an http:// or https:// URL' }),
  headers: z.record(z.string(), z.string({ error: 'expected a string' })).default({}),
});

const productSchema = z.strictObject({
  name: z.string({ error: 'expected a string' }).regex(PRODUCT_NAME, {
    error: 'expected 1–32 of [a-zA-Z0-9_-], starting with a letter or digit, no "__"',
  }),
  transport: z.discriminatedUnion('type', [stdioTransport, httpTransport], {
    error: 'expected {"type":"stdio",…} or {"type":"http",…}',
  }),
  isolation: z.enum(['shared', 'per-user'], { error: 'expected "shared" or "per-user"' }).default('shared'),
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).default([]),
  /** Upstream tool name → exposed suffix, for names that cannot be mapped (or read badly). */
  rename: z.record(z.string(), z.string()).default({}),
  /** Upstream tool name → module id; unmapped tools belong to the module named like the product. */
  modules: z
    .record(z.string(), z.string().regex(MODULE_ID, { error: 'expected a module id of [a-zA-Z0-9_-]' }))
    .default({}),
  callTimeoutSeconds: z.number().int().min(1).max(600).default(30),
  /** per-user: a user's upstream session is closed after this long unused. */
  idleSeconds: z.number().int().min(1).default(300),
  /** per-user: at most this many upstream sessions (child processes for stdio) at once. */
  maxSessions: z.number().int().min(1).max(10_000).default(50),
  /** Reconnection backoff doubles from 250 ms up to this. */
  reconnectMaxSeconds: z.number().min(0.25).max(600).default(10),
  /** The most one upstream message may take: a JSON answer, one SSE event, one stdio line. */
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .max(MAX_LIMIT)
    .default(4 * MiB),
  /** The most one SSE stream may carry in all (a POST's answer stream, the notification stream). */
  maxStreamBytes: z
    .number()
    .int()
    .min(1024)
    .max(MAX_LIMIT)
    .default(16 * MiB),
  /** Regexes on the upstream's error text that say which side an error is on (error-rules.ts). */
  errors: errorRulesSchema,
});

const fileSchema = z.strictObject({
  $schema: z.string().optional(),
  builtin: z.boolean({ error: 'expected true or false' }).default(true),
  /** What personas seeded with this products file get unless their catalog entry says otherwise. */
  personaDefaults: z
    .strictObject({ destructive: z.boolean({ error: 'expected true or false' }).optional() })
    .default({}),
  products: z.array(z.unknown(), { error: 'expected a list of products' }).default([]),
});

export type ProductConfig = z.infer<typeof productSchema> & {
  /** `errors` compiled, in the order the file writes them; first match wins. */
  errorRules: ErrorRule[];
};
export interface ProductsConfig {
  /** Whether the built-in demo product's tools are served too. */
  builtin: boolean;
  personaDefaults: { destructive?: boolean };
  products: ProductConfig[];
  /** Where the config came from (for messages). */
  file: string;
}

/** Thrown when the products file is invalid; every problem names the product and the field. */
export class ProductsConfigError extends UsageError {
  override readonly code = 'PRODUCTS_INVALID';
  constructor(
    file: string,
    readonly problems: string[],
  ) {
    super(
      `${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Every string of the transport with its field path, for placeholder checks. */
function transportStrings(p: ProductConfig): [string, string][] {
  const t = p.transport;
  const rec = (prefix: string, r: Record<string, string>) =>
    Object.entries(r).map(([k, v]): [string, string] => [`${prefix}.${k}`, v]);
  return t.type === 'stdio'
    ? [
        ['transport.command', t.command],
        ...t.args.map((a, i): [string, string] => [`transport.args[${i}]`, a]),
        ...rec('transport.env', t.env),
        ...(t.cwd ? [['transport.cwd', t.cwd] as [string, string]] : []),
      ]
    : [['transport.url', t.url], ...rec('transport.headers', t.headers)];
}

export function parseProducts(text: string, file = 'products.json'): ProductsConfig {
  const parsedJson = parseJsonText(text, file);
  if (!parsedJson.ok) throw new ProductsConfigError(file, parsedJson.problems);
  const json = parsedJson.value;
  const top = fileSchema.safeParse(json);
  if (!top.success)
    throw new ProductsConfigError(
      file,
      top.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`),
    );
  const problems: string[] = [];
  const products: ProductConfig[] = [];
  // `goals` is where a rating turn puts the persona's word on its goals: no module may be called so.
  const reserved: readonly string[] = top.data.builtin
    ? [...BUILTIN_MODULES, ...UNRATED_MODULES, 'goals']
    : [...UNRATED_MODULES, 'goals'];
  top.data.products.forEach((raw, index) => {
    const where = entryWhere('products', index, raw, 'name');
    const parsed = productSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...entryProblems(where, parsed.error));
      return;
    }
    const rawErrors = (raw as { errors?: unknown }).errors;
    const { rules, problems: ruleProblems } = compileErrorRules(
      parsed.data.errors,
      rawErrors && typeof rawErrors === 'object' ? Object.keys(rawErrors) : undefined,
    );
    for (const problem of ruleProblems) problems.push(`${where}: ${problem}`);
    const p: ProductConfig = { ...parsed.data, errorRules: rules };
    if (products.some((q) => q.name === p.name)) problems.push(`${where}: name: duplicate product name`);
    if (reserved.includes(p.name))
      problems.push(`${where}: name: "${p.name}" is a built-in module; choose another name`);
    for (const [field, value] of transportStrings(p))
      for (const problem of placeholderProblems(value, p.isolation === 'per-user'))
        problems.push(`${where}: ${field}: ${problem}`);
    if (p.maxStreamBytes < p.maxMessageBytes)
      problems.push(`${where}: maxStreamBytes: must be at least maxMessageBytes (${p.maxMessageBytes})`);
    for (const [tool, module] of Object.entries(p.modules))
      if (reserved.includes(module))
        problems.push(`${where}: modules.${tool}: "${module}" is a built-in module`);
    products.push(p);
  });
  if (problems.length) throw new ProductsConfigError(file, problems);
  return { builtin: top.data.builtin, personaDefaults: top.data.personaDefaults, products, file };
}

export function loadProductsFile(file: string): ProductsConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ProductsConfigError(file, [
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ]);
  }
  return parseProducts(text, displayPath(file));
}

/** The default when no products file is given: the built-in product alone. */
export const BUILTIN_ONLY: ProductsConfig = {
  builtin: true,
  personaDefaults: {},
  products: [],
  file: '(built-in product only)',
};

/** The modules a catalog may name: the built-in ones (when served) and each product's. */
export function servedModules(config: ProductsConfig): string[] {
  const modules = new Set<string>(config.builtin ? BUILTIN_MODULES : []);
  for (const p of config.products) {
    modules.add(p.name);
    for (const m of Object.values(p.modules)) modules.add(m);
  }
  return [...modules];
}

/** The module a product's (upstream) tool belongs to. */
export function moduleOf(product: ProductConfig, upstreamTool: string): string {
  return product.modules[upstreamTool] ?? product.name;
}

/** The products of a command: `--products <file>`, else `PERSONA_PRODUCTS`, else the built-in product. */
export function productsFor(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProductsConfig {
  const file = option ?? (env.PERSONA_PRODUCTS?.trim() || undefined);
  return file ? loadProductsFile(file) : BUILTIN_ONLY;
}
