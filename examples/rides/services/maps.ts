/**
 * maps: estimated pickup time per zone, the kind of answer a routing
 * engine gives. A leaf service with a small, random compute delay.
 */
import { runRidesService } from '../runtime/service-process.js';
import { zoneNamed } from '../zones.js';

await runRidesService('maps', async () => ({
  routes: [
    {
      method: 'GET',
      route: '/eta/{zone}',
      async handle(req) {
        const zone = zoneNamed(req.params.zone);
        if (!zone) return { status: 404, body: { error: `unknown zone ${req.params.zone}` } };
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 8));
        // Traffic varies: ±30 % around the zone's typical pickup time.
        const etaSeconds = Math.round(zone.typicalEtaSeconds * (0.7 + Math.random() * 0.6));
        return { status: 200, body: { zone: req.params.zone, etaSeconds } };
      },
    },
  ],
}));
