/**
 * The AWS SDK warns on every client it builds under Node < 22 that *future* SDK releases will
 * need Node 22. spendbrief supports Node 20 with the SDK versions its lock file pins, so the CLI's
 * stderr stays for our own lines; a user may still opt in by setting the variable to "false".
 */
export function quietAwsNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
