export * from './users.ts';
export * from './spaces.ts';
export * from './vault.ts';
export * from './product.ts';
export * from './campaigns.ts';
export * from './personas.ts';
export * from './transcripts.ts';
export * from './identity-links.ts';
