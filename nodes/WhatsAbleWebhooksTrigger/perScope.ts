/**
 * This process's state of each trigger scope (workflow id + node id + production or test, made in
 * handler.ts), one value per scope made on first use. Each module that owns such state (the
 * duplicate window, the pauses, the open bursts) keeps its own.
 */
export class PerScope<T> {
	private readonly values = new Map<string, T>();

	constructor(private readonly make: () => T) {}

	of(scope: string): T {
		let value = this.values.get(scope);
		if (value === undefined) {
			value = this.make();
			this.values.set(scope, value);
		}
		return value;
	}

	/** Forgets every scope's value, as a restart does. */
	clear(): void {
		this.values.clear();
	}
}
