package dev.parley.rendezvous.launch;

import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the jar's manifest. */
class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"parley-rendezvous " + (v == null ? "(development build)" : v)};
    }
}
