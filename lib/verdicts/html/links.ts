// Links from a report into the dashboard (`personas dashboard`): the ticks behind a row, a persona's
// ticks, one tick's page. Without a dashboard URL there are no links (the report still reads whole).

export interface DashboardLinks {
  /** The ticks of a campaign, filtered like the dashboard's /ticks page. */
  ticks(campaign: string, filter?: Record<string, string>): string | undefined;
  tick(tickId: string): string | undefined;
  compare(baseline: string, candidate: string): string | undefined;
}

/** Links under `base` (http or https), or none when it is unset. */
export function dashboardLinks(base: string | undefined): DashboardLinks {
  if (!base) return { ticks: () => undefined, tick: () => undefined, compare: () => undefined };
  const root = base.replace(/\/+$/, '');
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  return {
    ticks: (campaign, filter = {}) => `${root}/ticks?${q({ campaign, ...filter })}`,
    tick: (tickId) => `${root}/ticks/${encodeURIComponent(tickId)}`,
    compare: (baseline, candidate) => `${root}/compare?${q({ baseline, candidate })}`,
  };
}
