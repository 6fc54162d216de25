// A copy of a real campaign with one thing changed, made in SQL: the candidates the gate must
// catch (trials that failed, a module that vanished, personas whose ratings fell) without running a
// broken release for each. The copy keeps every persona, trial seed, action and rating of the
// original except what the edit statements change.
import type pg from 'pg';

export interface CampaignEdit {
  /**
   * Statements run on temporary copies before they are inserted: `t` (persona_ticks), `f`
   * (persona_feedback), `a` (persona_actions) and `g` (persona_goals) of the original campaign, with
   * their original ids.
   */
  sql: string[];
}

/** Copies campaign `from` as a new campaign labelled `label` (its id is returned), edited. */
export async function copyCampaign(
  pool: pg.Pool,
  from: string,
  label: string,
  edit: CampaignEdit,
): Promise<string> {
  const id = `campaign-${label}-copy`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE c ON COMMIT DROP AS SELECT * FROM campaigns WHERE id = $1;
       CREATE TEMP TABLE t ON COMMIT DROP AS SELECT * FROM persona_ticks WHERE campaign_id = $1;
       CREATE TEMP TABLE f ON COMMIT DROP AS SELECT * FROM persona_feedback WHERE tick_id IN (SELECT id FROM t);
       CREATE TEMP TABLE a ON COMMIT DROP AS SELECT * FROM persona_actions WHERE tick_id IN (SELECT id FROM t);
       CREATE TEMP TABLE g ON COMMIT DROP AS SELECT * FROM persona_goals WHERE tick_id IN (SELECT id FROM t);`.replace(
        /\$1/g,
        `'${from.replace(/'/g, "''")}'`,
      ),
    );
    for (const statement of edit.sql) await client.query(statement);
    const suffix = `:${label}`;
    await client.query(`UPDATE c SET id = $1, label = $2`, [id, label]);
    await client.query(`UPDATE t SET id = id || $1, campaign_id = $2`, [suffix, id]);
    await client.query(`UPDATE f SET id = id || $1, tick_id = tick_id || $1`, [suffix]);
    await client.query(`UPDATE a SET id = id || $1, tick_id = tick_id || $1`, [suffix]);
    await client.query(`UPDATE g SET id = id || $1, tick_id = tick_id || $1`, [suffix]);
    await client.query(`INSERT INTO campaigns SELECT * FROM c;
      INSERT INTO persona_ticks SELECT * FROM t;
      INSERT INTO persona_feedback SELECT * FROM f;
      INSERT INTO persona_actions SELECT * FROM a;
      INSERT INTO persona_goals SELECT * FROM g;`);
    await client.query('COMMIT');
    return id;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
