// Types for scripts/startLib.mjs (used by its tests).
export declare const SOURCE_DIRS: string[];
export declare const BUILD_OUTPUTS: string[];
export declare function buildReason(repo: string, outputs?: string[], sources?: string[]): string | undefined;
export declare function findElectron(repo: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | undefined;
export declare function findBrowser(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | undefined;
export declare function browserArgs(options: { url: string; userDataDir: string; isRoot: boolean; remoteDebuggingPort?: number }): string[];
export declare function parseServeUrl(text: string): string | undefined;
export declare function parseLaunchUrl(text: string): string | undefined;
export declare const PROFILE_PREFIX: string;
export declare function removeStaleProfiles(dir: string, alive?: (pid: number) => boolean): string[];
