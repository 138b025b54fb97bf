// The types of check-index.mjs, for the test that holds the committed index to the folder.
export const CHECKS_DIR: string;
export const INDEX_FILE: string;
export function checkModules(dir?: string): string[];
export function indexSource(names?: string[]): string;
