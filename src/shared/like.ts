/** A LIKE/ILIKE pattern for "contains this text": % _ and \ typed by a person are searched for, not wildcards. */
export const containingPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
