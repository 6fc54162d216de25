import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { cadenceSpec } from '../../lib/schedules/cadence.ts';
import type { Cadence } from '../../schema/vocabulary.ts';

// Pure: no servers. Many persona ids, so "spread" and "in range" are checked over a real sample.
// The ids are fixed (UUID-shaped, derived from an index), so the spread bounds below are exact
// facts about this sample, not probabilities: half look random, half are near-identical.
const ids = Array.from({ length: 400 }, (_, i) => {
  if (i >= 200) return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const h = createHash('sha256').update(`persona ${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
});
const TZ = 'Europe/Berlin';

/** Splits a 5-field cron and checks each field is a plain integer in range or `*` / `1-5` where allowed. */
function fields(cron: string): [number, string, string, string, string] {
  const parts = cron.split(' ');
  assert.equal(parts.length, 5, `five cron fields: "${cron}"`);
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  assert.match(minute, /^\d{1,2}$/, `one minute, not a list or range: "${cron}"`);
  const m = Number(minute);
  assert.ok(m >= 0 && m <= 59, `minute in 0..59: "${cron}"`);
  assert.equal(dom, '*', `every day of the month: "${cron}"`);
  assert.equal(month, '*', `every month: "${cron}"`);
  return [m, hour, dom, month, dow];
}

const spec = (personaId: string, cadence: Cadence, timezone = TZ) =>
  cadenceSpec({ personaId, cadence, timezone });

test('hourly: one persona-specific minute every hour, in the persona timezone, with jitter', () => {
  for (const id of ids) {
    const s = spec(id, 'hourly', 'Asia/Tokyo');
    const [, hour, , , dow] = fields(s.cron);
    assert.equal(hour, '*', `every hour: ${s.cron}`);
    assert.equal(dow, '*', `every day: ${s.cron}`);
    assert.equal(s.timezone, 'Asia/Tokyo');
    assert.equal(s.jitter, '5m');
  }
});

test('daily: a fixed persona-specific time between 08:00 and 19:59 local, every day', () => {
  for (const id of ids) {
    const s = spec(id, 'daily', 'America/New_York');
    const [, hour, , , dow] = fields(s.cron);
    assert.match(hour, /^\d{1,2}$/, `one fixed hour: ${s.cron}`);
    assert.ok(Number(hour) >= 8 && Number(hour) <= 19, `hour in 8..19: ${s.cron}`);
    assert.equal(dow, '*', `every day: ${s.cron}`);
    assert.equal(s.timezone, 'America/New_York');
    assert.equal(s.jitter, '20m');
  }
});

test('weekdays: the same persona-specific time as daily, Monday to Friday only', () => {
  for (const id of ids) {
    const s = spec(id, 'weekdays');
    const [minute, hour, , , dow] = fields(s.cron);
    assert.equal(dow, '1-5', `Mon–Fri: ${s.cron}`);
    assert.ok(Number(hour) >= 8 && Number(hour) <= 19, `hour in 8..19: ${s.cron}`);
    const daily = fields(spec(id, 'daily').cron);
    assert.deepEqual([minute, hour], [daily[0], daily[1]], 'a persona keeps its time of day across cadences');
    assert.equal(s.jitter, '20m');
  }
});

test('deterministic per persona id, independent of timezone', () => {
  for (const id of ids.slice(0, 50)) {
    for (const cadence of ['hourly', 'daily', 'weekdays'] as const) {
      const a = spec(id, cadence, 'Asia/Tokyo');
      assert.deepEqual(spec(id, cadence, 'Asia/Tokyo'), a);
      assert.equal(spec(id, cadence, 'UTC').cron, a.cron, 'the timezone only says where the clock is');
    }
  }
});

test('spread across persona ids: minutes and hours are not all the same slot', () => {
  const minutes = new Map<number, number>();
  const hours = new Map<number, number>();
  for (const id of ids) {
    const [m, h] = fields(spec(id, 'daily').cron);
    minutes.set(m, (minutes.get(m) ?? 0) + 1);
    hours.set(Number(h), (hours.get(Number(h)) ?? 0) + 1);
  }
  // 400 ids over 60 minutes / 12 hours: a uniform hash covers nearly all of them, and no slot
  // holds a large share. A constant or badly skewed slot function fails these bounds.
  assert.ok(minutes.size >= 55, `minutes used: ${minutes.size} of 60`);
  assert.equal(hours.size, 12, `hours used: ${[...hours.keys()].sort((a, b) => a - b).join(',')}`);
  assert.ok(Math.max(...minutes.values()) <= 20, `busiest minute holds ${Math.max(...minutes.values())}`);
  assert.ok(Math.max(...hours.values()) <= 50, `busiest hour holds ${Math.max(...hours.values())}`);
  // Minute and hour are drawn independently (different salts), not minute = f(hour).
  const pairs = new Set(ids.map((id) => spec(id, 'daily').cron));
  assert.ok(pairs.size >= 280, `distinct daily times: ${pairs.size} of ${ids.length}`);
});
