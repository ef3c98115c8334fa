package mp4j.launcher;

import mp4j.session.SessionLayout;
import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {
            "mp4j " + (version == null ? "0.1.0-SNAPSHOT" : version) + " (session layout version " +
                SessionLayout.LAYOUT_VERSION + ")",
            "JVM: ${java.version} (${java.vendor} ${java.vm.name})",
        };
    }
}
