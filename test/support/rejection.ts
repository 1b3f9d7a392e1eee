/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejectionOf<E>(promise: PromiseLike<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail');
}
