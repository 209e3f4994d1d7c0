// The namespaces every part of the platform measurement uses (PlatformBench.*.cs).
global using System.Diagnostics;
global using System.Globalization;
global using System.Text;
global using System.Text.Json;
global using Antq.Testing;
global using Antq.Testing.Load;
