// supervisord's XML-RPC fault codes (supervisor/xmlrpc.py Faults) and the
// error a method raises to answer with one. The fault string is
// supervisord's: the name, then `: detail` when there is a detail
// (`BAD_NAME: nosuch`), which supervisorctl and its users parse.
import type { FaultName } from '../api.ts';

export const FAULT_CODES = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const satisfies Record<FaultName, number> & Record<string, number>;

export type XmlRpcFaultName = keyof typeof FAULT_CODES;

export class XmlRpcFault extends Error {
  readonly code: number;
  readonly text: string;
  constructor(
    readonly fault: XmlRpcFaultName,
    detail?: string,
  ) {
    const text = detail === undefined ? fault : `${fault}: ${detail}`;
    super(text);
    this.code = FAULT_CODES[fault];
    this.text = text;
  }
}
