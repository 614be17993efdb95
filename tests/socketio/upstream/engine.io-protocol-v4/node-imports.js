// Ours, not upstream's: the globals the suite needs under Node.js.
import "../../suite-globals.mjs";
