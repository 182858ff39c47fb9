// The AppHost runs Debian's PostgreSQL and RabbitMQ binaries and speaks POSIX signals: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
