global using Stream = System.IO.Stream;
global using Xunit;
