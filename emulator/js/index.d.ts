/** The path of the `ucare-emulator` program for this platform; throws, naming the platform and what to install, when there is none. */
export declare function binaryPath (): string
/** The platform as the packages are named: `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`... */
export declare function platformName (): string
