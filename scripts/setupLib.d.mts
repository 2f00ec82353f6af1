// Types for scripts/setupLib.mjs (used by its tests).
export declare const TEST_PACKAGES: string[];
export declare function missingPackages(dpkgOutput: string, wanted?: string[]): string[];
export declare function aptCommandLine(packages: string[], options: { isRoot: boolean }): string;
export declare function aptPlan(packages: string[], options: { isRoot: boolean; sudoWorks: boolean }): { run: string[][]; manual: string | undefined };
export declare function kernelAdvice(specs: Array<{ name: string; status: string; problem?: string }>, options: { python?: string; debian: boolean; isRoot: boolean }): string | undefined;
export declare function browserAdvice(options: { debian: boolean; isRoot: boolean }): string;
export declare function npmInstallReason(options: { nodeModulesExists: boolean; lockPackages: string[]; installed(name: string): boolean }): string | undefined;
export declare function isElectronDownloadFailure(output: string): boolean;
