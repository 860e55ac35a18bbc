import { parseDuration } from './duration.ts';

/** One tier of multi-window, multi-burn-rate alerting (Google's SRE Workbook, chapter 5). */
export interface BurnRateAlert {
  /** The alert's name in Prometheus. */
  readonly alert: 'SloFastBurn' | 'SloSlowBurn' | 'SloSteadyBurn';
  /** The `severity` label: who is told. */
  readonly severity: 'page' | 'ticket';
  /** The share of the whole window's error budget that burning over `longWindow` stands for. */
  readonly budgetShare: number;
  /** The window that makes the alert significant. */
  readonly longWindow: string;
  /** A twelfth of it: the alert stops soon after the burning stops. */
  readonly shortWindow: string;
  /** How long both windows must burn before the alert fires. */
  readonly for: string;
}

/**
 * The three tiers. Over a 30-day objective they burn at 14.4×, 6× and 1× the
 * sustainable rate: 2% of the budget in an hour, 5% in six hours, 10% in three
 * days. Over another window the factors scale, so the shares stay the same.
 */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  {
    alert: 'SloFastBurn',
    severity: 'page',
    budgetShare: 0.02,
    longWindow: '1h',
    shortWindow: '5m',
    for: '2m',
  },
  {
    alert: 'SloSlowBurn',
    severity: 'page',
    budgetShare: 0.05,
    longWindow: '6h',
    shortWindow: '30m',
    for: '15m',
  },
  {
    alert: 'SloSteadyBurn',
    severity: 'ticket',
    budgetShare: 0.1,
    longWindow: '3d',
    shortWindow: '6h',
    for: '1h',
  },
];

/** The objective's window when the SLO file leaves it out. */
export const DEFAULT_SLO_WINDOW = '30d';

/** How many times faster than sustainable the budget burns when this tier fires: 14.4 for the fast tier over 30 days. */
export function burnFactor(tier: BurnRateAlert, window: string = DEFAULT_SLO_WINDOW): number {
  const windowMs = parseDuration(window) ?? parseDuration(DEFAULT_SLO_WINDOW)!;
  return round((tier.budgetShare * windowMs) / parseDuration(tier.longWindow)!);
}

/** The error budget of an objective: the fraction of requests allowed to be bad (0.001 for 0.999). */
export function errorBudget(objective: number): number {
  return round(1 - objective);
}

/** Rounds away binary noise (1 - 0.999 = 0.0010000000000000009), keeping 12 significant digits. */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
