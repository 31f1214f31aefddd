global using Stream = System.IO.Stream;
