import { crmEntries, crmEntry, type DemoStartOptions, type DemoTarget } from '../../../connectors/crm-registry.ts';
import { SyncError } from '../../errors.ts';

export type { DemoTarget } from '../../../connectors/crm-registry.ts';

/** A CRM id with a demo in the registry. */
export type DemoCrm = string;

/** The CRMs the demo can run on: every registry entry with a demo seed. */
export function demoCrms(): string[] {
  return crmEntries()
    .filter((e) => e.demo !== undefined)
    .map((e) => e.id);
}

/** One CRM emulator, seeded from the registry entry's demo seed. */
export async function startDemoTarget(crm: DemoCrm, options: DemoStartOptions): Promise<DemoTarget> {
  const demo = crmEntry(crm)?.demo;
  if (demo === undefined)
    throw new SyncError(`no demo for CRM "${crm}"; available: ${demoCrms().join(', ')}`, {
      code: 'demo_unknown_crm',
      kind: 'config',
    });
  return demo.start(options);
}
