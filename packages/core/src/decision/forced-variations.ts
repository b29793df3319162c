/**
 * The legacy `setForcedVariation` map: userId → experimentId → variationId. It lives in the
 * client, so it is shared by every user context of that client, as in the reference.
 */
export class ForcedVariations {
  private readonly byUser = new Map<string, Map<string, string>>();

  get(userId: string, experimentId: string): string | undefined {
    // Asked once per experiment rule of every decision, and almost always empty.
    if (this.byUser.size === 0) return undefined;
    return this.byUser.get(userId)?.get(experimentId);
  }

  hasUser(userId: string): boolean {
    return this.byUser.has(userId);
  }

  set(userId: string, experimentId: string, variationId: string): void {
    let forUser = this.byUser.get(userId);
    if (!forUser) {
      forUser = new Map();
      this.byUser.set(userId, forUser);
    }
    forUser.set(experimentId, variationId);
  }

  /** Returns false when the user has no forced variations at all (the reference's error case). */
  remove(userId: string, experimentId: string): boolean {
    const forUser = this.byUser.get(userId);
    if (!forUser) return false;
    forUser.delete(experimentId);
    return true;
  }
}
