package dev.parley.bench;

import java.util.List;

/**
 * One phase of one NAT trial, as measured: whether the dialing node got a direct link within the
 * wait, how, and how long after the start ({@code consent}: the asker's {@code introduced};
 * {@code contact}: the login of the contact that came online second), the attempts it took, and
 * what became of the messages sent afterwards. {@code error} says why the trial broke off (then
 * the rest is empty); {@code note} is a summary of the nodes' events when something was odd.
 *
 * @param failuresBeforeLink {@code link-failed} events the dialer printed before its link came up
 *                           (or within the wait): one per new reason, not one per retry
 * @param failureReasons     what those events said, in order
 * @param syns               TCP connection attempts (SYNs) both nodes sent to anyone but the server
 *                           from the start until the link came up (or the wait ended)
 */
record NatTrial(String pairing, String phase, int trial, boolean direct, String how, Double millisToLink,
        int failuresBeforeLink, List<String> failureReasons, int syns, int sent, int deliveredOnce, int viaDirect, boolean inOrder, String error,
        String note) {
    static final String CONSENT = "consent";
    static final String CONTACT = "contact";

    static NatTrial broken(NatPairing pairing, String phase, int trial, String error, String note) {
        return new NatTrial(pairing.label, phase, trial, false, null, null, 0, List.of(), 0, 0, 0, 0, false, error, note);
    }
}
