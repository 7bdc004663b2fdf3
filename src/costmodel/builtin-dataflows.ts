/**
 * The dataflows M3E's job analyzer uses, in MAESTRO's notation.
 * `ClusterSz` is the core's cluster size (64 in MAGMA). Every depth-wise layer uses `dpt`,
 * whatever the core's style, as M3E does.
 */

/** NVDLA-like, weight-stationary: K across clusters, C across the PEs of a cluster. */
export const DLA = `
SpatialMap(1,1) K;
TemporalMap(ClusterSz,ClusterSz) C;
TemporalMap(Sz(R),Sz(R)) R;
TemporalMap(Sz(S),Sz(S)) S;
TemporalMap(Sz(R),1) Y;
TemporalMap(Sz(S),1) X;
Cluster(ClusterSz, P);
SpatialMap(1,1) C;
`;

/** ShiDianNao-like, output-stationary: output rows across clusters, output columns across PEs. */
export const SHI = `
TemporalMap(1,1) K;
SpatialMap(Sz(R),Sz(R)) Y';
TemporalMap(ClusterSz,ClusterSz) X';
TemporalMap(1,1) C;
TemporalMap(Sz(R),Sz(R)) R;
TemporalMap(Sz(S),Sz(S)) S;
Cluster(ClusterSz, P);
TemporalMap(1,1) C;
TemporalMap(1,1) Y';
SpatialMap(1,1) X';
TemporalMap(Sz(R),Sz(R)) R;
TemporalMap(Sz(S),Sz(S)) S;
`;

/** Eyeriss-like, row-stationary: output rows across clusters, two spatial maps inside. */
export const EYE = `
TemporalMap(1,1) C;
TemporalMap(1,1) K;
SpatialMap(ClusterSz,ClusterSz) Y';
TemporalMap(Sz(S),Sz(S)) X';
TemporalMap(Sz(R),Sz(R)) R;
TemporalMap(Sz(S),Sz(S)) S;
Cluster(ClusterSz, P);
TemporalMap(1,1) C;
SpatialMap(1,1) Y';
SpatialMap(1,1) X';
TemporalMap(Sz(R),Sz(R)) R;
TemporalMap(Sz(S),Sz(S)) S;
`;

/** Depth-wise: ClusterSz channels per PE, one level. */
export const DPT = `
SpatialMap(ClusterSz,ClusterSz) C;
TemporalMap(Sz(R),1) Y;
TemporalMap(Sz(S),1) X;
TemporalMap(Sz(R),Sz(R)) R;
TemporalMap(Sz(S),Sz(S)) S;
`;

export const BUILTIN_STYLES = ['dla', 'shi', 'eye'] as const;
export type BuiltinStyle = (typeof BUILTIN_STYLES)[number];

/** The dataflow every depth-wise layer uses. */
export const DEPTHWISE_DATAFLOW = 'dpt';

export const BUILTIN_DATAFLOWS: Readonly<Record<string, string>> = { dla: DLA, shi: SHI, eye: EYE, dpt: DPT };
