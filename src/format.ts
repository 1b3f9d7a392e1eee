/** Number formats shared by the CLI, the alerts and the reports. Grouped by hand: never the host's locale data. */

/** `$12,345`, whole dollars. */
export function money(value: number): string {
  const whole = Math.round(Math.abs(value)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}$${whole}`;
}

/** 0.734 -> `73%`. */
export const percent = (share: number): string => `${Math.round(share * 100)}%`;
