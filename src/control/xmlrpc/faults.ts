// supervisord's XML-RPC fault codes (supervisor/xmlrpc.py Faults) and the
// error a method raises to answer with one. The fault string is
// supervisord's: the name, then `: detail` when there is a detail
// (`BAD_NAME: nosuch`), which supervisorctl and its users parse.
import { FAULT_CODES } from '../../model/index.ts';
import type { FaultName } from '../../model/index.ts';

export { FAULT_CODES };
export type XmlRpcFaultName = FaultName;

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
