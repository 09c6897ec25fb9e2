import { VigilError } from '../errors.ts';

// The control server could not start: socket in use, unsafe TCP listener,
// a path that is not a socket. `code` says which.
export class ControlServerError extends VigilError {}
