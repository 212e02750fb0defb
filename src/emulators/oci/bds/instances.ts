/**
 * GetBdsInstance (`GET /bdsInstances/{id}`, the oci-bds SDK's `BdsInstance` model): enough of
 * a cluster for clients that check it exists before using it, as the OCI CLI and keyplan's
 * plan do. Unknown clusters (and callers without a BDS policy) get 404 NotAuthorizedOrNotFound;
 * with `autoCreateClusters` any cluster OCID exists, as it does for the API key routes.
 */
import type { Reply } from '../handlers.js';
import { lookupCluster, type BdsContext } from './context.js';
import type { ClusterRecord } from './document.js';

/** The name GetBdsInstance shows for a cluster registered without one ([guess] the console's style). */
export function defaultClusterName(clusterId: string): string {
  return `cluster-${clusterId.slice(-8)}`;
}

/** The wire form of a BdsInstance. */
export function bdsInstanceJson(clusterId: string, cluster: ClusterRecord | undefined, ctx: BdsContext): Record<string, unknown> {
  return {
    id: clusterId,
    compartmentId: cluster?.compartmentId ?? ctx.store.tenancy,
    displayName: cluster?.displayName ?? defaultClusterName(clusterId),
    lifecycleState: 'ACTIVE',
    // [guess] the emulator models no nodes, networks or versions: fixed, plausible values.
    clusterVersion: 'ODH2_0',
    isHighAvailability: false,
    isSecure: false,
    isCloudSqlConfigured: false,
    isKafkaConfigured: false,
    nodes: [],
    numberOfNodes: 0,
    ...(cluster?.timeCreated === undefined ? {} : { timeCreated: cluster.timeCreated }),
    freeformTags: {},
    definedTags: {},
  };
}

/** GET /bdsInstances/{id}. */
export function getBdsInstance(ctx: BdsContext, bdsId: string): Reply {
  const cluster = lookupCluster(ctx, bdsId);
  return { status: 200, body: JSON.stringify(bdsInstanceJson(bdsId, cluster, ctx)) };
}
