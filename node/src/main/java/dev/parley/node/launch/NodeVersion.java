package dev.parley.node.launch;

import picocli.CommandLine.IVersionProvider;

class NodeVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = NodeVersion.class.getPackage().getImplementationVersion();
        return new String[] {"parley-node " + (v == null ? "(development build)" : v)};
    }
}
