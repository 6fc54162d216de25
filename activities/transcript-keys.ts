import type { TranscriptKey } from '../lib/ticks/transcript-seal.ts';

/**
 * The keys transcript parts are sealed with, per persona, in the worker's memory only: activities
 * use them and return ids, so a key never enters workflow history, a log or an activity result.
 * A key is resolved once per persona (one vault read, unwrapped with VAULT_KEK) and kept, bounded
 * by `maxEntries` (oldest first out); master keys are never rotated, so no expiry is needed.
 */
export class TranscriptKeys {
  private readonly keys = new Map<string, Promise<TranscriptKey>>();

  constructor(
    private readonly resolve: (personaId: string) => Promise<TranscriptKey>,
    private readonly maxEntries = 5000,
  ) {}

  keyFor(personaId: string): Promise<TranscriptKey> {
    let key = this.keys.get(personaId);
    if (!key) {
      key = this.resolve(personaId);
      this.keys.set(personaId, key);
      // A failed resolution (database blip) is not remembered: the activity's retry resolves again.
      void key.catch(() => {
        if (this.keys.get(personaId) === key) this.keys.delete(personaId);
      });
      if (this.keys.size > this.maxEntries) this.keys.delete(this.keys.keys().next().value!);
    }
    return key;
  }
}
