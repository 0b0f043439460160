// Turns the Realtime server events the relay forwards into what the chat shows: assistant text
// streaming into its bubble, the assistant's tool calls as activity lines, spoken user turns,
// errors. Audio and barge-in go to the callbacks the page passes in.

// The service's tools (src/tools/): what the person sees while each runs and after.
const TOOL_LABELS = {
    get_available_meeting_types: {
        running: 'Looking up meeting types…',
        done: 'Looked up meeting types',
        stopped: 'Meeting type lookup stopped',
    },
    check_meeting_availability: {
        running: 'Checking availability…',
        done: 'Checked availability',
        stopped: 'Availability check stopped',
    },
    schedule_call: {
        running: 'Creating your booking link…',
        done: 'Created your booking link',
        stopped: 'Booking link stopped',
    },
    book_meeting: {
        running: 'Booking the meeting…',
        done: 'Booked the meeting',
        stopped: 'Booking stopped',
    },
};

function labelsFor(toolName) {
    return (
        TOOL_LABELS[toolName] ?? {
            running: `Running ${toolName}…`,
            done: `Ran ${toolName}`,
            stopped: `${toolName} stopped`,
        }
    );
}

export class Conversation {
    // callbacks: { onAudio(itemId, base64), onSpeechStarted(), onSpeechStopped() }
    constructor(view, callbacks) {
        this.view = view;
        // Server event type -> what the page does; other events (session.*, content parts,
        // function call arguments, rate limits) change nothing on screen.
        this.handlers = {
            'response.created': () => this.toolsAnswered(),
            'response.output_item.added': (event) => this.itemStarted(event.item),
            'response.output_text.delta': (event) =>
                view.appendAssistant(event.item_id, event.delta),
            'response.output_audio_transcript.delta': (event) =>
                view.appendAssistant(event.item_id, event.delta),
            'response.output_text.done': (event) => view.finishAssistant(event.item_id, event.text),
            'response.output_audio_transcript.done': (event) =>
                view.finishAssistant(event.item_id, event.transcript),
            'response.output_audio.delta': (event) => callbacks.onAudio(event.item_id, event.delta),
            'response.done': (event) => this.responseDone(event.response),
            'conversation.item.added': (event) => this.itemAdded(event.item),
            'conversation.item.input_audio_transcription.completed': (event) =>
                view.setUserTranscript(event.item_id, event.transcript),
            'input_audio_buffer.speech_started': () => callbacks.onSpeechStarted(),
            'input_audio_buffer.speech_stopped': () => callbacks.onSpeechStopped(),
            error: (event) => {
                // The server asks again once the answer in progress is over (realtime_session.hpp):
                // the person's message is not lost, so there is nothing to tell them.
                if (event.error?.code === 'conversation_already_has_active_response') return;
                view.addSystem(`Error: ${event.error?.message ?? 'unknown error'}`, 'error');
            },
        };
    }

    handle(event) {
        this.handlers[event.type]?.(event);
    }

    // Ends what the connection's end leaves unfinished.
    closed() {
        this.view.finishRunningActivities('stopped');
        this.view.interruptOpenAnswers();
    }

    itemStarted(item) {
        if (!item) return;
        if (item.type === 'message' && item.role === 'assistant') this.view.assistant(item.id);
        if (item.type === 'function_call') {
            this.view.addActivity(item.call_id, item.name, labelsFor(item.name));
        }
    }

    itemAdded(item) {
        if (!item) return;
        // The service sends each tool's result as a function_call_output item: the tool is done.
        if (item.type === 'function_call_output') this.view.setActivity(item.call_id, 'done');
        const spoken = item.content?.some((part) => part.type === 'input_audio');
        if (item.type === 'message' && item.role === 'user' && spoken) {
            this.view.addUserVoice(item.id);
            const transcript = item.content.find((part) => part.transcript)?.transcript;
            if (transcript) this.view.setUserTranscript(item.id, transcript);
        }
    }

    // The service answers tool calls with their outputs and a new response.create, so a new
    // response means the earlier calls have finished.
    toolsAnswered() {
        this.view.finishRunningActivities('done');
    }

    responseDone(response) {
        if (!response || response.status === 'completed') return;
        for (const item of response.output ?? []) {
            if (item.type === 'message') this.view.interruptAssistant(item.id);
            if (item.type === 'function_call') this.view.setActivity(item.call_id, 'stopped');
        }
        const error = response.status_details?.error;
        if (response.status === 'failed' && error?.message) {
            this.view.addSystem(`The assistant could not answer: ${error.message}`, 'error');
        }
    }
}
