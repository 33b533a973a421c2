/** The `activityDay` of a conversation whose last message is at `at`: its UTC day, YYYY-MM-DD. */
export function activityDayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}
