/** A Prometheus recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A Prometheus alerting rule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A group of rules, evaluated in order at each evaluation. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}

/** What every generator needs: the job to select, durations as scaled, links to routes. */
export interface RuleContext {
  /** The `job` label of the service's metrics. */
  readonly job: string;
  /** The service's name, for texts and links. */
  readonly service: string;
  /** A duration of the production rules as written into these rules (divided by the time scale). */
  readonly duration: (production: string) => string;
  /** The link annotation, a Prometheus template; with the alert's route when `forRoute`. */
  readonly link: (forRoute: boolean) => string;
}
