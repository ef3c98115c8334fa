package mp4j.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** JvmOptions as command-line arguments, and which of a parent's options its workers inherit. */
class JvmOptionsUnitTest
{
    @Test
    void optionsBecomeArgumentsInOrderAndTheDefaultsNone(@TempDir final Path dir) throws Exception
    {
        final Path agent = Files.createFile(dir.resolve("agent.jar"));
        final JvmOptions options = JvmOptions.defaults().maxHeap("2g").systemProperty("a", "1")
            .systemProperty("b", "x y").systemProperty("a", "2").javaAgent(agent, "verbose").jvmArgs("-XX:+UseZGC");
        assertEquals(List.of("-Xmx2g", "-Da=2", "-Db=x y", "-javaagent:" + agent.toAbsolutePath() + "=verbose",
            "-XX:+UseZGC"), options.arguments());
        assertFalse(options.isDefault());
        assertTrue(JvmOptions.defaults().isDefault());
        assertEquals(List.of(), JvmOptions.defaults().arguments());
        assertFalse(JvmOptions.defaults().inheritSystemProperties(false).isDefault());
    }

    @Test
    void badOptionsAreRefusedWithTheReason(@TempDir final Path dir)
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().maxHeap("lots"))
            .getMessage().contains("512m"));
        assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().systemProperty("a=b", "c"));
        assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().systemProperty("", "c"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().javaAgent(
            dir.resolve("missing.jar"), null)).getMessage().contains("is not a file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().jvmArgs("Main"))
            .getMessage().contains("starts with '-'"));
    }

    @Test
    void workersInheritTheCommandLinesSystemPropertiesOnly(@TempDir final Path dir) throws Exception
    {
        assertEquals(List.of("-Dapp.mode=batch", "-Dx="), InheritedProperties.fromCommandLine(List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g", "-Dapp.mode=batch", "-cp", "-Dnot.this",
            "-Dcom.sun.management.jmxremote.port=9010", "-Dmp4j.log=debug", "-javaagent:/a.jar", "-Dx=",
            "app.Main", "-Dprogram.argument=1")));
        assertEquals(List.of("-Da=1"), InheritedProperties.fromCommandLine(List.of("-Da=1", "-jar", "app.jar",
            "-Db=2")));
        assertEquals(List.of(), InheritedProperties.fromCommandLine(List.of("-m", "app/app.Main", "-Da=1")));
        final Path argFile = dir.resolve("args");
        Files.writeString(argFile, "# options\n-Dfrom.file=\"yes\" -Xss1m\n-cp /x\n");
        assertEquals(List.of("-Dfrom.file=yes", "-Dafter=1"), InheritedProperties.fromCommandLine(List.of(
            "@" + argFile, "-Dafter=1", "Main")));
    }
}
