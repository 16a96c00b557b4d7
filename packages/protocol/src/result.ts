/** An outcome that is either a value or a typed error, never a throw. */
export type Result<TValue, TError> =
  { readonly ok: true; readonly value: TValue } | { readonly ok: false; readonly error: TError }

/** A successful {@link Result}. */
export function ok<TValue>(value: TValue): { readonly ok: true; readonly value: TValue } {
  return { ok: true, value }
}

/** A failed {@link Result}. */
export function err<TError>(error: TError): { readonly ok: false; readonly error: TError } {
  return { ok: false, error }
}
