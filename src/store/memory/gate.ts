/** Shared by the tables of one store: once it is closed, every use of any of them fails, as with a closed database. */
export class Gate {
  private closed = false;

  check(): void {
    if (this.closed) throw new Error('The store is closed');
  }

  close(): void {
    this.closed = true;
  }
}
