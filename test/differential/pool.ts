/** Runs `work` over `items` with at most `width` running at once; resolves when all are done. */
export async function pool<T>(items: readonly T[], width: number, work: (item: T, index: number, lane: number) => Promise<void>): Promise<void> {
	let next = 0;
	const lanes: Promise<void>[] = [];
	for (let l = 0; l < Math.max(1, width); l++) {
		const lane = l;
		lanes.push((async () => {
			while (next < items.length) {
				const i = next++;
				await work(items[i], i, lane);
			}
		})());
	}
	await Promise.all(lanes);
}
