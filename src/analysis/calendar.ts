/** Calendar arithmetic on local day numbers (days since 1970-01-01 in the report's zone). */

/** 0 = Monday … 6 = Sunday; day 0 (1970-01-01) was a Thursday. */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;
