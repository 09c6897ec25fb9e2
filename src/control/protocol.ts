// Wire shapes of the control protocol (HTTP/1.1 + JSON), shared by the server
// and `vigil ctl`. Type-only for the client, so it costs nothing at startup.
import type { ActionResult, AvailableProcess, ConfigChanges, FaultName, ProcessInfo, ReadinessReport } from './api.ts';

// supervisord's fault names plus the protocol-level ones its XML-RPC layer has
// (UNKNOWN_METHOD, INCORRECT_PARAMETERS) and the two HTTP itself needs.
export type WireFault = FaultName | 'UNKNOWN_METHOD' | 'INCORRECT_PARAMETERS' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'TOO_LARGE';

export interface ErrorBody {
  error: { fault: WireFault; message: string };
}

// A name that did not resolve, as the caller spelled it.
export interface UnknownName {
  name: string;
  fault: 'BAD_NAME';
  message: string;
}

export interface VersionBody {
  ok: true;
  version: string;
  pid: number;
  started: number; // epoch seconds when vigil started
}

export interface StatusBody {
  ok: true;
  processes: ProcessInfo[];
  unknown: UnknownName[];
}

export interface ActionBody {
  ok: true;
  results: ActionResult[];
}

export interface RestartBody {
  ok: true;
  stopped: ActionResult[];
  started: ActionResult[];
}

export interface PidBody {
  ok: true;
  pid?: number; // vigil's own pid, when no name was given
  pids?: { name: string; pid: number }[];
  unknown?: UnknownName[];
}

export interface TailBody {
  ok: true;
  name: string;
  channel: 'stdout' | 'stderr';
  data: string;
}

export interface ChangesBody {
  ok: true;
  changes: ConfigChanges;
  unknown?: UnknownName[];
}

export interface AvailBody {
  ok: true;
  processes: AvailableProcess[];
}

// GET /maintail: the end of vigil's own log.
export interface MaintailBody {
  ok: true;
  data: string;
}

export interface OkBody {
  ok: true;
}

// GET /readyz: 200 when ready, 503 with what is not.
export interface ReadyBody extends ReadinessReport {
  ok: true;
}

export type ResponseBody =
  | ReadyBody
  | ErrorBody
  | VersionBody
  | StatusBody
  | ActionBody
  | RestartBody
  | PidBody
  | TailBody
  | ChangesBody
  | AvailBody
  | MaintailBody
  | OkBody;

// GET /events (server-sent events, for the web page): `event: status` carries
// every process (first, and after each reconnect), `event: changes` what
// changed since.
export interface StatusEvent {
  processes: ProcessInfo[];
}

export interface ChangesEvent {
  changed: ProcessInfo[]; // new or changed processes
  removed: string[]; // group:name of processes gone (config update/reload)
}
