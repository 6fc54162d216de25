/**
 * The single source of truth for which columns are stored encrypted. Tools declare the fields they
 * touch in `encryptedFields`; `personas audit encrypted-tools` diffs those declarations against this.
 * `enabled: false` keeps a table listed while storing it in plaintext (reported as a warning).
 */
export interface EncryptionRegistryEntry {
  fields: readonly string[];
  enabled: boolean;
}

export type EncryptionRegistry = Readonly<Record<string, EncryptionRegistryEntry>>;

export const encryptionRegistry: EncryptionRegistry = {
  notes: { fields: ['body'], enabled: true },
  journal_entries: { fields: ['body'], enabled: true },
};
