const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2026-11-25 10:58:03.123` in local time, the way KubeSphere's table shows time (plus milliseconds). */
export function formatTimestamp(value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** `10:58:03.123`, for dense live rows. */
export function formatClock(value: string | number | Date): string {
  return formatTimestamp(value).slice(11);
}

/** "3 s ago", "5 min ago", … for "last event" lines. */
export function formatAgo(value: string | number | Date, now = Date.now()): string {
  const then = new Date(value).getTime();
  if (Number.isNaN(then)) return String(value);
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}
